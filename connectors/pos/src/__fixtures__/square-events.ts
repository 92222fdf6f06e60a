// Square notifications in the documented shapes (developer.squareup.com webhook reference:
// payment.created / payment.updated, order.updated, customer.created).
export const squareSignatureKey = 'hX2r8LkPq4Zt7vNw1yB5eA';
export const squareNotificationUrl = 'https://crm.example.com/hooks/pos-purchases/square';

const payment = {
  id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
  created_at: '2025-06-01T08:00:01.427Z',
  updated_at: '2025-06-01T08:00:02.577Z',
  amount_money: { amount: 1050, currency: 'USD' },
  tip_money: { amount: 200, currency: 'USD' },
  total_money: { amount: 1250, currency: 'USD' },
  approved_money: { amount: 1250, currency: 'USD' },
  status: 'COMPLETED',
  delay_duration: 'PT168H',
  source_type: 'CARD',
  card_details: { status: 'CAPTURED', card: { card_brand: 'VISA', last_4: '1111', exp_month: 11, exp_year: 2027 }, entry_method: 'KEYED' },
  location_id: 'L1V7K3X8Q2ZNB',
  order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
  customer_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
  buyer_email_address: 'amelia.earhart@example.com',
  receipt_number: 'KkAk',
  receipt_url: 'https://squareup.com/receipt/preview/KkAkhdMsgzn59SM8A89WgKwekxLZY',
  version_token: 'pAbvrTqeG7JeZlYgC2U2lN3QN6DaTVRGAT3qS5nGi4E6o',
};

export const paymentUpdated = {
  merchant_id: '6SSW7HV8K2ST5',
  type: 'payment.updated',
  event_id: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
  created_at: '2025-06-01T08:00:02.934Z',
  data: { type: 'payment', id: payment.id, object: { payment } },
};

export const paymentCreatedApproved = {
  merchant_id: '6SSW7HV8K2ST5',
  type: 'payment.created',
  event_id: '13b867cf-db3d-4b1c-90b6-2f32a9d78124',
  created_at: '2025-06-01T08:00:01.579Z',
  data: { type: 'payment', id: payment.id, object: { payment: { ...payment, status: 'APPROVED' } } },
};

export const paymentJpy = {
  ...paymentUpdated,
  event_id: 'e0c4b0a2-5f7e-4c43-9a55-8a0c5c0d9c11',
  data: { type: 'payment', id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY', object: { payment: { ...payment, id: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY', total_money: { amount: 3200, currency: 'JPY' }, customer_id: undefined, buyer_email_address: undefined } } },
};

export const orderUpdatedCompleted = {
  merchant_id: '6SSW7HV8K2ST5',
  type: 'order.updated',
  event_id: 'a2b5f4c6-3e0d-4d4a-8f7b-2b8c0e1d9f33',
  created_at: '2025-06-01T08:00:03.120Z',
  data: {
    type: 'order_updated',
    id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
    object: { order_updated: { order_id: 'CAISENgvlJ6jLWAzERDzjyHVybY', location_id: 'L1V7K3X8Q2ZNB', state: 'COMPLETED', version: 4, created_at: '2025-06-01T07:59:50.000Z', updated_at: '2025-06-01T08:00:03.000Z' } },
  },
};

/** A full order object (as returned by RetrieveOrder), for senders that attach it. */
export const orderWithLines = {
  ...orderUpdatedCompleted,
  event_id: 'b7c1d2e3-0000-4000-8000-00000000aaaa',
  data: {
    type: 'order',
    id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
    object: {
      order: {
        id: 'CAISENgvlJ6jLWAzERDzjyHVybY',
        location_id: 'L1V7K3X8Q2ZNB',
        customer_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
        state: 'COMPLETED',
        closed_at: '2025-06-01T08:00:02.000Z',
        line_items: [
          { uid: 'li1', name: 'Flat White', quantity: '2', catalog_object_id: 'QW2Z5ZLSQ4D5F3K5JF3V5X4F', variation_name: 'Large', total_money: { amount: 900, currency: 'USD' } },
          { uid: 'li2', name: 'Croissant', quantity: '1', total_money: { amount: 150, currency: 'USD' } },
        ],
        total_money: { amount: 1050, currency: 'USD' },
      },
    },
  },
};

export const customerCreated = {
  merchant_id: '6SSW7HV8K2ST5',
  type: 'customer.created',
  event_id: 'e2a9c4a4-2a67-4c39-9a47-5f4e0e6e1234',
  created_at: '2025-06-01T07:55:00.000Z',
  data: {
    type: 'customer',
    id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
    object: {
      customer: {
        id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
        created_at: '2025-06-01T07:55:00.000Z',
        updated_at: '2025-06-01T07:55:00.000Z',
        given_name: 'Amelia',
        family_name: 'Earhart',
        email_address: 'Amelia.Earhart@example.com',
        phone_number: '+1-212-555-4240',
        company_name: 'Lockheed',
        address: { address_line_1: '500 Electric Ave', locality: 'New York', administrative_district_level_1: 'NY', postal_code: '10003', country: 'US' },
        preferences: { email_unsubscribed: false },
        creation_source: 'THIRD_PARTY',
        version: 0,
      },
    },
  },
};

export const squareBody = (event: object): string => JSON.stringify(event);
